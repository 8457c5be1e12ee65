"""What the tests share: helpers, builders and test doubles that are not part of the product."""
