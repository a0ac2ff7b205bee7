-- The suppression rule (sql/functions/10_suppression.sql) looks blocked domains up as
-- lower(domain) = the address's domain or one of its parents: an index on that expression makes
-- each look-up a probe. (The primary key on domain itself cannot serve a lower() comparison.)
CREATE INDEX domain_suppressions_lower_domain ON domain_suppressions (lower(domain));
