DROP TABLE authors;
DROP TABLE boxes;
