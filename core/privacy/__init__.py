"""What the portal promises about personal data, and the code that keeps the promise.

- gate: every figure built from check-ins, pulses or feedback is shown only when at least the
  pilot's privacy threshold of distinct people stand behind it;
- audit: the append-only trail of admin and staff writes, sign-ins, exports and erasures;
- person_data / erasure: a person's download of their data, and erasure;
- retention: private notes and free text deleted some days after a pilot closes;
- catalogue: what is stored about whom, who sees it and for how long (the privacy page and the
  download are generated from it).
"""
