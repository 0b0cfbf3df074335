-- Sentence-embedding centroid of a live story (representation tfidf+minilm):
-- the sum of its members' MiniLM vectors as little-endian float32; NULL under TF-IDF.
ALTER TABLE stories ADD COLUMN centroid BLOB;
