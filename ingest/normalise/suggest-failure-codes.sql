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
  SELECT
    rma_key,
    string_split(trim(regexp_replace(lower(description), '[^a-z0-9'']+', ' ', 'g')), ' ') AS tokens
  FROM rma
  WHERE description IS NOT NULL
    AND failure_code_stated IS NULL
    AND failure_code_verified IS NULL
),
grams AS (
  SELECT DISTINCT rma_key, gram
  FROM (
    SELECT rma_key, unnest(list_concat(
      list_transform(range(1, len(tokens) + 1), i -> array_to_string(tokens[i:i], ' ')),
      list_transform(range(1, len(tokens)), i -> array_to_string(tokens[i:i + 1], ' ')),
      list_transform(range(1, len(tokens) - 1), i -> array_to_string(tokens[i:i + 2], ' ')),
      list_transform(range(1, len(tokens) - 2), i -> array_to_string(tokens[i:i + 3], ' ')),
      list_transform(range(1, len(tokens) - 3), i -> array_to_string(tokens[i:i + 4], ' ')),
      list_transform(range(1, len(tokens) - 4), i -> array_to_string(tokens[i:i + 5], ' '))
    )) AS gram
    FROM candidates
  )
),
scores AS (
  SELECT g.rma_key, p.code, sum(p.words) AS score
  FROM grams AS g
  JOIN phrases AS p ON p.phrase = g.gram
  GROUP BY g.rma_key, p.code
),
ranked AS (
  SELECT
    rma_key,
    code,
    score,
    sum(score) OVER (PARTITION BY rma_key) AS total,
    row_number() OVER (PARTITION BY rma_key ORDER BY score DESC, code) AS rank
  FROM scores
)
SELECT
  rma_key,
  code AS failure_code_suggested,
  round(score / total * (1 - pow(0.5, score)), 3) AS failure_code_suggestion_confidence
FROM ranked
WHERE rank = 1
