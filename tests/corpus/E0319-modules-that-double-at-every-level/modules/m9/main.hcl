# Level 9: two calls of the next level.
module "left" {
  source = "../m10"
}

module "right" {
  source = "../m10"
}
