"""The "My pair" page, one module per part: offers, the pair's header, and one per tab."""
