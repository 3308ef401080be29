DROP TRIGGER books_touch_updated_at;
DROP TABLE books;
DROP TABLE authors;
