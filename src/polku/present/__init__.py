"""What people read: sentences, tables, pages and reports in the reader's language."""
