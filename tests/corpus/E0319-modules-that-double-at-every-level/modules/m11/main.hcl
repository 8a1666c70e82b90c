# Level 11: two calls of the next level.
module "left" {
  source = "../m12"
}

module "right" {
  source = "../m12"
}
