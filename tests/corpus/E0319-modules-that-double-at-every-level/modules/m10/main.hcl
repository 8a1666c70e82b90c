# Level 10: two calls of the next level.
module "left" {
  source = "../m11"
}

module "right" {
  source = "../m11"
}
