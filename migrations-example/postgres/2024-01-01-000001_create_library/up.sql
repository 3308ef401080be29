-- A small library catalogue: authors, books with a status enum, tags, and an
-- updated_at trigger written in plpgsql (its body contains semicolons on purpose).
CREATE TYPE book_status AS ENUM ('draft', 'published', 'out_of_print');

CREATE TABLE authors (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    born DATE
);

CREATE TABLE books (
    id SERIAL PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    status book_status NOT NULL DEFAULT 'draft',
    price NUMERIC(10, 2) CHECK (price >= 0),
    pages INTEGER,
    isbn UUID,
    metadata JSONB NOT NULL DEFAULT '{}',
    tags TEXT[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX books_author_id_idx ON books (author_id);

CREATE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER books_touch_updated_at
    BEFORE UPDATE ON books
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
