-- Your SQL goes here
CREATE TABLE t (s text DEFAULT ';');
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END;
/* nested /* comment; */ */ SELECT E'it\'s'; SELECT $tag$ ; $tag$;