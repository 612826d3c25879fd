"""The CDS Hooks service: FHIR in, cards out, through the same engine and profile as the chat.

Nothing is imported here: `assistant ask` must not pay for FastAPI, uvicorn or fhir.resources.
Modules, lowest first: codes (corpus/fhir_codes.yaml), units, reading (what the record gave, in
words), fhir_parse (JSON -> R4B resources), fhir_meds and fhir_facts (resources -> Facts), cards
(Answer -> CDS Hooks cards), hook (one hook call, no web framework), fhir_client (fetching what the
prefetch lacks), auth (JWT checks), app (the ASGI app), run (uvicorn), record (`ask --fhir`),
examples (synthetic patients for tests, benchmark and README).
"""
