"""The recruiter's writes, by subject: embeddings, cases (scan, open, client and recruiter actions),
shortlists, invitations."""
