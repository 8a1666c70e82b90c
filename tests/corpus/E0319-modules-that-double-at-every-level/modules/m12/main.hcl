# Level 12: two calls of the next level.
module "left" {
  source = "../m13"
}

module "right" {
  source = "../m13"
}
