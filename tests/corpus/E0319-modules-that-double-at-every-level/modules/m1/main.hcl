# Level 1: two calls of the next level.
module "left" {
  source = "../m2"
}

module "right" {
  source = "../m2"
}
