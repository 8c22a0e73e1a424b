"""Every write to offers: the negotiation, changes to live contracts, trust & safety, expiry."""
