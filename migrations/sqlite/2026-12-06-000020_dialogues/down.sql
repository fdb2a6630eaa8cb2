DROP TABLE dialogue_items;
DROP TABLE dialogue_jurisdictions;
DROP TABLE dialogues;
