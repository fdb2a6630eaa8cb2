DROP TABLE question_routes;
DROP TABLE routed_questions;
DROP TABLE user_expertise;
DROP TABLE profiles;
