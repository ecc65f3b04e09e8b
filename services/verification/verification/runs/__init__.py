"""A verification run: the payer's register of non-working insured persons checked as of a
date, for a period, as a background job of stages — ``loading`` (the TFOMS file →
``register_entry``/``subject``, rejected rows), ``blocking`` (the linkage model: trained, or
the previous run's), ``scoring`` (duplicates within the register, the register against each
source → ``linkage_pair``), ``rules`` (date-aware outcomes → ``outcome``, operators' decisions
by pair key), ``decisions`` (counts, ``verification.run.completed`` and
``verification.person.excluded``). Resumable from the last finished stage, cancellable,
incremental against a previous run.

- ``endpoints``: ``/runs`` (start with the file as the body, list, get, outcomes, rejections);
- ``pipeline``: ``RunPipeline`` (the job's handler), ``VERIFICATION_RUN`` / ``run_kind``;
- ``scoring``, ``outcomes``, ``decisions``: the stages; ``pipeline_repository``: their SQL."""
