//! Integration tests: the real server on a random port against a fresh
//! SQLite file and a fresh PostgreSQL database. One binary, many modules.

mod helpers;

mod accessibility;
mod advice;
mod analyses;
mod attachments;
mod auth;
mod backup;
mod browser;
mod caching;
mod cluster;
mod colloquia;
mod dialogues;
mod durability;
mod email;
mod erasure;
mod export;
mod i18n;
mod interface;
mod limits;
mod live;
mod marks;
mod matrix;
mod members;
mod moderation;
mod network;
mod notifications;
mod operations;
mod pages;
mod personal_data;
mod redaction;
mod schema;
mod search;
mod search_clir;
mod second_factor;
mod security_classes;
mod seed;
mod smtp;
mod threads;
mod webhooks;
