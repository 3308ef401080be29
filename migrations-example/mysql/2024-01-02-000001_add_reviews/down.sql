DROP PROCEDURE count_reviews;
DROP TABLE reviews;
