DROP TABLE newcomer_notes;
