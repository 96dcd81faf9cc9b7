import torch

# The machines running the suite are shared: one thread per process keeps it small and repeatable.
torch.set_num_threads(1)
