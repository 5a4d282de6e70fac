"""The programme's rules. Plain async Python over storage; imports no messenger library."""
