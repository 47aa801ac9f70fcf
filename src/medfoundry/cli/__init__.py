"""The ``medfoundry`` command line: thin shells over the stages."""
