
-- SQLite's instr(haystack, needle), so that the searches' SQL is one text for both databases.
CREATE OR REPLACE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    AS 'SELECT strpos(haystack, needle)' LANGUAGE SQL IMMUTABLE;
