"""Every write to a claim: creation, edits, the workflow's transitions, decisions, cohorts.

Each service runs in one transaction, locks the claim it changes, checks the version
the caller read (a stale one is refused, never overwritten), and writes a ClaimEvent
beside the claim's history row. Import from the module that holds a service:

- ``case_numbers``: case numbers and status look-up secrets;
- ``common``: permissions, the claim's lock and version, events, four eyes, transitions;
- ``filing``: creating and editing a claim, its claimants and loss items;
- ``properties``: the property register and its duplicate review;
- ``compensation``: compensation rows, one per (property, original owner's line);
- ``assessment``: valuing and re-valuing a claim;
- ``decisions``: decisions, their payload, content hash and recomputation;
- ``appeals``: filing and reviewing appeals;
- ``workflow``: the plain workflow steps and the table of step services;
- ``cohorts``: cohorts and batch decisions;
- ``quality``: QC samples and re-review.
"""
