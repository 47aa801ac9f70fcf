"""The model catalog: curated healthcare base models and locally registered ones."""
