"""The interface languages: which ones, how a request picks one, and the switcher."""
