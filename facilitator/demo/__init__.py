"""The fictional demo region, for trying the product and for training sessions."""
