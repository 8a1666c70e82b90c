# Level 13: two calls of the next level.
module "left" {
  source = "../m14"
}

module "right" {
  source = "../m14"
}
