"""Fine-tuning: training specs, the trainer, checkpoints, launchers."""
