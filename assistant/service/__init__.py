"""The CDS Hooks service: FHIR in, cards out, through the same engine and profile as the chat.

Nothing is imported here: `assistant ask` must not pay for FastAPI, uvicorn or fhir.resources.
Modules: codes (corpus/fhir_codes.yaml), units, fhir_facts (FHIR resources -> Facts), cards
(Answer -> CDS Hooks cards), hook (one hook call, no web framework), auth (JWT checks),
fhir_client (fetching what the prefetch lacks), app (the ASGI app), run (uvicorn).
"""
