"""Person matching (master patient index): comparing a person with the register, the review
queue of possible duplicates, merge and unmerge. See docs/decisions/0008-person-merge.md."""
