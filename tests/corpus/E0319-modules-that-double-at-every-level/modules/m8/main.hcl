# Level 8: two calls of the next level.
module "left" {
  source = "../m9"
}

module "right" {
  source = "../m9"
}
