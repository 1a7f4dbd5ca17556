"""The Variants page: peephole, coupled, GRU, stacked and bidirectional LSTMs side by side with the plain one."""
