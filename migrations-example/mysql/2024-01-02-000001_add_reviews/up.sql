CREATE TABLE reviews (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    book_id INT NOT NULL,
    stars TINYINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body TEXT,
    -- Backslash escapes, '#' and ':' look-alikes must survive the statement splitter.
    signature VARCHAR(100) NOT NULL DEFAULT 'anonymous; it\'s #1 :not_a_param',
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    FOREIGN KEY (book_id) REFERENCES books (id) ON DELETE CASCADE
);

DELIMITER //
CREATE PROCEDURE count_reviews(IN b INT, OUT n INT)
BEGIN
    SELECT COUNT(*) INTO n FROM reviews WHERE book_id = b;
END //
DELIMITER ;
