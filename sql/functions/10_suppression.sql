-- The suppression rule, written once (CONTRACT §4, §5): an address is blocked by its own entry
-- (global, or for list p_list_id; NULL = global entries only), by a block of its domain, or by a
-- block of a parent domain that includes subdomains. Every query and function that decides
-- whether to write, confirm, import or mail an address asks this function.
--
-- p_email is the normalised address (lower case, domain in punycode: service/domain/address.cpp)
-- and p_email_hash its SHA-256 (the suppression list's key; an erased entry has only the hash).
-- The domain is what follows the last '@' (none: no domain block applies), compared without case
-- and without a trailing dot. It is looked up as itself and as each parent (a.b.example.com:
-- a.b.example.com, b.example.com, example.com, com), so the check is a few probes of the index
-- domain_suppressions_lower_domain (V010), not a scan of every blocked domain.
--
-- Callers pass values, never rows: STABLE, so it sees the statement's snapshot; PARALLEL SAFE.
-- Changing the argument list needs a DROP FUNCTION of the old one first, and every caller below
-- (sql/functions/2x_*.sql, sql/queries/*.sql) changes with it.
-- The domain half of the rule for one block: whether a block of p_domain (with its subdomains when
-- p_include_subdomains) covers the address p_email, its domain taken and compared as above. Used by
-- optin_suppressed and by the query that ends the subscriptions a new block covers.
CREATE OR REPLACE FUNCTION optin_domain_block_covers(p_domain text, p_include_subdomains boolean,
                                                     p_email text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT a.domain = lower(p_domain)
      OR (p_include_subdomains AND right(a.domain, length(lower(p_domain)) + 1) = '.' || lower(p_domain))
  FROM rtrim(lower(substring(p_email FROM '@([^@]*)$')), '.') AS a(domain)
$$;

CREATE OR REPLACE FUNCTION optin_suppressed(p_email text, p_email_hash text, p_list_id bigint)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT 1 FROM suppressions s
                 WHERE s.email_hash = p_email_hash AND (s.list_id IS NULL OR s.list_id = p_list_id))
      OR EXISTS (SELECT 1 FROM domain_suppressions d,
                               rtrim(lower(substring(p_email FROM '@([^@]*)$')), '.') AS a(domain)
                 WHERE lower(d.domain) = ANY (ARRAY(
                         SELECT array_to_string(p.labels[i:], '.')
                         FROM string_to_array(a.domain, '.') AS p(labels), generate_subscripts(p.labels, 1) AS i))
                   AND optin_domain_block_covers(d.domain, d.include_subdomains, p_email))
$$;
