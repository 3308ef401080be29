CREATE TABLE boxes (
    id BIGINT UNSIGNED PRIMARY KEY,
    shelf_id INT NOT NULL,
    weight DOUBLE,
    FOREIGN KEY (shelf_id) REFERENCES shelves (id)
);
CREATE TABLE authors (id INT PRIMARY KEY);
