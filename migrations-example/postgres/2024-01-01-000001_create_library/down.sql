DROP TRIGGER books_touch_updated_at ON books;
DROP FUNCTION touch_updated_at();
DROP TABLE books;
DROP TABLE authors;
DROP TYPE book_status;
