# The last level: nothing below.
