"""Units, people, their posts and the responsibility matrix (党组书记负总责、分管领导具体负责…)."""
