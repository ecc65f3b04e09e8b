"""The results of a run as files for the fund: the actual register (the run's register with the
excluded persons removed and the changed personal data applied, in the TFOMS register layouts
so it reads back as a register) and the exclusion list (reasons, months, evidence, savings per
person). Both are background jobs (``oms_kit.jobs``) whose output file is downloaded from
``/jobs/{job_id}/files/{file_id}``; every exported person is audited (``export``)."""
