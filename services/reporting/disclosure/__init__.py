"""What leaves a province: the numbers disclosed when a report is submitted, and the rules."""
