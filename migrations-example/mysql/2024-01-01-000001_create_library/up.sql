-- The MySQL flavour of the library catalogue: the same tables, an ENUM column, a JSON column,
-- a foreign key, an index and a trigger whose BEGIN … END body contains semicolons.
CREATE TABLE authors (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    email VARCHAR(200) UNIQUE,
    born DATE
);

CREATE TABLE books (
    id INT AUTO_INCREMENT PRIMARY KEY,
    author_id INT NOT NULL,
    title VARCHAR(500) NOT NULL,
    status ENUM('draft', 'published', 'out_of_print') NOT NULL DEFAULT 'draft',
    price DECIMAL(10, 2) CHECK (price >= 0),
    pages INT,
    metadata JSON,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE
);

CREATE INDEX books_author_id_idx ON books (author_id);

CREATE TRIGGER books_touch_updated_at BEFORE UPDATE ON books
FOR EACH ROW
BEGIN
    IF NEW.title <> OLD.title OR NEW.price <=> OLD.price = 0 THEN
        SET NEW.updated_at = CURRENT_TIMESTAMP(6);
    END IF;
END;
