DROP INDEX threads_order;
DROP INDEX threads_category_order;
