CREATE TABLE shelves (
    id INT AUTO_INCREMENT PRIMARY KEY,
    label VARCHAR(40) NOT NULL,
    kind ENUM('wood', 'metal') NOT NULL
);
