-- One clinic per submitter id at a clearinghouse (receiver id). Control numbers (ISA13/GS06/ST02)
-- count from 1 in every clinic, so two clinics sharing a pair would send the same numbers, and one
-- clinic's 999 imported by the other would move the wrong batch.
--
-- A database where clinics already share a pair cannot take the index. Nothing here can tell which
-- clinic the clearinghouse gave the id to, and changing or deleting a clinic's ids would silently
-- stop its claims (or send them under another id), so the migration stops instead and names the
-- clinics. It runs in one transaction: nothing is changed, and it is applied on the next start
-- once each of those clinics has its own submitter id (docs/claims.md, "Submitter ids").
DO $$
DECLARE
  shared text;
BEGIN
  SELECT string_agg(format('receiver id %s and submitter id %s are used by %s', receiver, submitter, clinics), '; ' ORDER BY receiver, submitter)
    INTO shared
    FROM (
      SELECT upper(btrim(s.receiver_id)) AS receiver,
             upper(btrim(s.submitter_id)) AS submitter,
             string_agg(format('%s (organization_id %s)', o.slug, o.id), ', ' ORDER BY o.slug) AS clinics
        FROM "clearinghouse_settings" s
        JOIN "organizations" o ON o.id = s.organization_id
       GROUP BY 1, 2
      HAVING count(*) > 1
    ) AS pairs;
  IF shared IS NOT NULL THEN
    RAISE EXCEPTION 'Clinics share a clearinghouse submitter id, which the clearinghouse cannot tell apart: %. Ask the clearinghouse for an id of its own for each of these clinics but one, set it with UPDATE clearinghouse_settings SET submitter_id = ''<its id>'' WHERE organization_id = ''<the clinic''''s organization_id>'', then start Carebill again.', shared
      USING ERRCODE = 'unique_violation';
  END IF;
END $$;

-- Every writer upper-cases and trims the ids (ZInterchangeId in lib/clearinghouse/settings.ts), so a
-- plain index compares them case-insensitively; rows written some other way are brought in line.
UPDATE "clearinghouse_settings"
   SET receiver_id = upper(btrim(receiver_id)), submitter_id = upper(btrim(submitter_id))
 WHERE receiver_id <> upper(btrim(receiver_id)) OR submitter_id <> upper(btrim(submitter_id));

-- CreateIndex
CREATE UNIQUE INDEX "clearinghouse_settings_receiver_id_submitter_id_key" ON "clearinghouse_settings"("receiver_id", "submitter_id");
