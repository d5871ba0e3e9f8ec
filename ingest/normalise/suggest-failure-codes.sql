/* step: failure-code suggestions from free text
   grain: rma_key (rows with a description and neither a stated nor a verified code)
   inputs: rma, failure_codes
   The description is lower-cased, cut into words, and every run of 1–6 consecutive words is looked up among
   the taxonomy's synonyms (same normalisation): an equality join, not a regex per pair. A code's score is the
   number of synonym words it matched; confidence = (score / all matched words) × (1 − 0.5^score), so one
   one-word hit shared with nothing is 0.5, a three-word phrase alone is 0.875, and a tie halves it. */
WITH synonyms AS (
  SELECT
    code,
    trim(regexp_replace(lower(s), '[^a-z0-9'']+', ' ', 'g')) AS phrase
  FROM failure_codes, unnest(synonyms) AS t(s)
  WHERE s IS NOT NULL
),
phrases AS (
  SELECT DISTINCT code, phrase, len(string_split(phrase, ' ')) AS words
  FROM synonyms
  WHERE phrase <> ''
),
candidates AS (
  SELECT rma_key, description
  FROM rma
  WHERE description IS NOT NULL
    AND failure_code_stated IS NULL
    AND failure_code_verified IS NULL
),
texts AS (
  -- a suggestion depends on the text alone, so each distinct description is cut up once: at 10 M lines
  -- the 2 M uncoded ones took 11.0 s cut up line by line and 0.5 s text by text
  SELECT description, string_split(trim(regexp_replace(lower(description), '[^a-z0-9'']+', ' ', 'g')), ' ') AS tokens
  FROM (SELECT DISTINCT description FROM candidates)
),
grams AS (
  SELECT DISTINCT description, gram
  FROM (
    SELECT description, unnest(list_concat(
      list_transform(range(1, len(tokens) + 1), i -> array_to_string(tokens[i:i], ' ')),
      list_transform(range(1, len(tokens)), i -> array_to_string(tokens[i:i + 1], ' ')),
      list_transform(range(1, len(tokens) - 1), i -> array_to_string(tokens[i:i + 2], ' ')),
      list_transform(range(1, len(tokens) - 2), i -> array_to_string(tokens[i:i + 3], ' ')),
      list_transform(range(1, len(tokens) - 3), i -> array_to_string(tokens[i:i + 4], ' ')),
      list_transform(range(1, len(tokens) - 4), i -> array_to_string(tokens[i:i + 5], ' '))
    )) AS gram
    FROM texts
  )
),
scores AS (
  SELECT g.description, p.code, sum(p.words) AS score
  FROM grams AS g
  JOIN phrases AS p ON p.phrase = g.gram
  GROUP BY g.description, p.code
),
ranked AS (
  SELECT
    description,
    code,
    score,
    sum(score) OVER (PARTITION BY description) AS total,
    row_number() OVER (PARTITION BY description ORDER BY score DESC, code) AS rank
  FROM scores
)
SELECT
  c.rma_key,
  r.code AS failure_code_suggested,
  round(r.score / r.total * (1 - pow(0.5, r.score)), 3) AS failure_code_suggestion_confidence
FROM candidates AS c
JOIN ranked AS r ON r.description = c.description AND r.rank = 1
