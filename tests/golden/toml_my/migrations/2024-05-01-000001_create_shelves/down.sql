DROP TABLE shelves;
