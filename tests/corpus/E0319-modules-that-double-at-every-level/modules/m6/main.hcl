# Level 6: two calls of the next level.
module "left" {
  source = "../m7"
}

module "right" {
  source = "../m7"
}
