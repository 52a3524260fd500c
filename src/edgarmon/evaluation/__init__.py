"""``edgarmon evaluate`` and ``edgarmon train-clinical``: the classifier scored on the labelled
documents in ``../shared``, honestly (grouped cross-validation by company), and the
clinical model trained from them. Development tools: the services never import them."""
