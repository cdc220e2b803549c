"""People in difficult circumstances (đối tượng), with their categories and caregivers."""
