"""Programs that measure and print numbers; they never pass or fail."""
